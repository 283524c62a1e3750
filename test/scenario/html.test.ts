import {describe, expect, it} from 'vitest';
import {formField} from '../../source/scenario/html.js';

const django = `<!DOCTYPE html>
<html><head><title>Log in | Django site admin</title></head>
<body>
<form action="/admin/login/?next=/admin/" method="post" id="login-form">
  <input type="hidden" name="csrfmiddlewaretoken" value="vN3kY8qLmP2xR7tW9zA1bC4dE6fG8hJ0kL2mN4pQ6rS8tU0vW2xY4zA6bC8dE0fG">
  <div class="form-row"><label for="id_username">Username:</label>
    <input type="text" name="username" autofocus autocapitalize="none" autocomplete="username" maxlength="150" required id="id_username"></div>
  <input type="submit" value="Log in">
</form></body></html>`;

const flask = `<form method="POST" action="/login">
  <input id="csrf_token" name="csrf_token" type="hidden" value="IjRiMTNlYzE2ZGQ0ZjU2.ZmYzNw.abc-DEF_123">
  <input id="email" name="email" required type="text" value="">
</form>`;

describe('formField', () => {
  it("finds Django's csrfmiddlewaretoken", () => {
    expect(formField(django, 'csrfmiddlewaretoken')).toBe('vN3kY8qLmP2xR7tW9zA1bC4dE6fG8hJ0kL2mN4pQ6rS8tU0vW2xY4zA6bC8dE0fG');
  });

  it("finds Flask-WTF's csrf_token with value after name and type", () => {
    expect(formField(flask, 'csrf_token')).toBe('IjRiMTNlYzE2ZGQ0ZjU2.ZmYzNw.abc-DEF_123');
    expect(formField(flask, 'email')).toBe('');
  });

  it('does not care about attribute order, quotes or case', () => {
    expect(formField(`<input value="v1" type="hidden" name="tok">`, 'tok')).toBe('v1');
    expect(formField(`<input type='hidden' name='tok' value='v2'>`, 'tok')).toBe('v2');
    expect(formField(`<INPUT TYPE=hidden NAME=tok VALUE=v3>`, 'tok')).toBe('v3');
    expect(formField(`<input name="tok" value="a&amp;b&quot;c">`, 'tok')).toBe('a&b"c');
  });

  it('reads <meta name=… content=…> (Rails, Laravel, SPA csrf meta tags)', () => {
    const page = `<html><head><meta charset="utf-8"><meta content="m-123" name="csrf-token"><meta name="csrf-param" content="authenticity_token"></head></html>`;
    expect(formField(page, 'csrf-token')).toBe('m-123');
    expect(formField(page, 'csrf-param')).toBe('authenticity_token');
  });

  it("reads a textarea's text", () => {
    expect(formField(`<textarea name="note">hello &lt;world&gt;</textarea>`, 'note')).toBe('hello <world>');
  });

  it('returns the first match, and undefined when absent', () => {
    expect(formField(`<input name="a" value="1"><input name="a" value="2">`, 'a')).toBe('1');
    expect(formField(django, 'nope')).toBeUndefined();
    expect(formField('', 'a')).toBeUndefined();
    // A name that only appears in text or in another attribute is not a field.
    expect(formField(`<p>name="tok" value="x"</p><input id="tok" value="y">`, 'tok')).toBeUndefined();
  });
});
