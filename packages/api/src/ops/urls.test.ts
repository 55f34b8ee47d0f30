import { describe, expect, it } from 'vitest';
import { withoutPassword } from './urls.ts';

describe('withoutPassword', () => {
  it.each([
    ['postgres://kam:s3cret@127.0.0.1:5432/kam', 'postgres://kam:***@127.0.0.1:5432/kam'],
    ['postgresql://kam:p@ss@db/kam', 'postgresql://kam:***@db/kam'],
    ['http://user:secret@127.0.0.1:4199/graphql', 'http://user:***@127.0.0.1:4199/graphql'],
    ['http://kam_token@127.0.0.1:4000/graphql', 'http://***@127.0.0.1:4000/graphql'],
    ['ftp://:hunter2@127.0.0.1/graphql', 'ftp://***@127.0.0.1/graphql'],
    ['user:secret@127.0.0.1:4000/graphql', 'user:***@127.0.0.1:4000/graphql'],
    ['postgres://db/kam', 'postgres://db/kam'],
    ['postgres://postgres@127.0.0.1:5432/kam', 'postgres://postgres@127.0.0.1:5432/kam'],
    ['https://kam_token@example.com/graphql', 'https://***@example.com/graphql'],
    ['http://127.0.0.1:4000/graphql?by=a@b', 'http://127.0.0.1:4000/graphql?by=a@b'],
    ['./data/a@b.sqlite', './data/a@b.sqlite'],
    ['a@b.sqlite', 'a@b.sqlite'],
  ])('%s → %s', (url, shown) => {
    expect(withoutPassword(url)).toBe(shown);
  });
});
