import { describe, expect, it } from 'vitest';

import { renderTemplate } from './template.js';

describe('renderTemplate', () => {
  it('fills placeholders from values, by path', () => {
    expect(renderTemplate('order {{id}} for {{ user.name }} #{{items.0}}', { id: 7, user: { name: 'Ada' }, items: ['x'] })).toBe(
      'order 7 for Ada #x',
    );
  });

  it('inserts non-strings as JSON and missing values as nothing', () => {
    expect(renderTemplate('{{o}}|{{missing}}|{{o.nope.deeper}}', { o: { a: [1, true] } })).toBe('{"a":[1,true]}||');
  });

  it('does not read inherited properties', () => {
    expect(renderTemplate('{{constructor}}{{toString}}', {})).toBe('');
  });
});
