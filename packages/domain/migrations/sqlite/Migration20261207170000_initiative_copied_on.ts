import { Migration } from '@mikro-orm/migrations';
import { fillCopiedOn } from '../shared/initiative-copied-on.ts';

/**
 * The day a competitor copied a value initiative (`copied_on`) and the category it had until then
 * (`category_before_copy`), so a closed quarter reads the initiative as it stood on its last day.
 * Initiatives copied before: see the shared module.
 */
export class Migration20261207170000_initiative_copied_on extends Migration {
  override name = 'Migration20261207170000_initiative_copied_on';

  override up(): void {
    this.addSql('alter table `value_initiative` add column `copied_on` date null;');
    this.addSql(
      "alter table `value_initiative` add column `category_before_copy` text check (`category_before_copy` in ('EXPECTED', 'PERCEIVED', 'PROVEN', 'UNTAPPED')) null;",
    );
    fillCopiedOn(this, (column, whitespace) => `trim(${column}, char(${whitespace.join(', ')}))`);
  }

  override down(): void {
    this.addSql('alter table `value_initiative` drop column `category_before_copy`;');
    this.addSql('alter table `value_initiative` drop column `copied_on`;');
  }
}
