import { Migration } from '@mikro-orm/migrations';
import { clearBlankTexts } from '../shared/blank-optional-texts.ts';

/** Stored blank optional texts become null (see the shared module for why and which columns). */
export class Migration20261207100000_blank_optional_texts extends Migration {
  override name = 'Migration20261207100000_blank_optional_texts';

  override up(): void {
    clearBlankTexts(this, (column, whitespace) => `trim(${column}, char(${whitespace.join(', ')}))`);
  }

  override down(): void {
    // Nothing to undo: a blank text and null both meant no value.
  }
}
