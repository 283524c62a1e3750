// The static read of a scenario's source: which columns it reads from a csv() feeder, and which forms it
// leaves alone (anything it cannot follow must give no read, never a wrong one).
import {describe, expect, it} from 'vitest';
import {feederReads, tokenize} from '../../source/scenario/column-reads.js';

/** The reads of the feeder made by the `csv` marked `/*@*\/csv` in `source` (as a stack frame would locate it). */
function readsOf(source: string) {
  const at = source.indexOf('/*@*/csv');
  if (at < 0) throw new Error('mark the csv call with /*@*/');
  const before = source.slice(0, at + 5);
  const line = before.split('\n').length;
  const column = at + 5 - before.lastIndexOf('\n');
  return feederReads(source, line, column);
}

const required = (source: string) =>
  readsOf(source)
    ?.reads.filter((r) => !r.optional)
    .map((r) => `${r.column}@${r.line}`);

describe('tokenize', () => {
  it('drops comments, keeps strings, templates and regular expressions whole, and counts lines through them', () => {
    const t = tokenize(`a /* x\ny */ 'it\\'s' // data(x).no\n\`t\${b + \`in\${c}\`}\n\`; /[/'"]+/g.test(d) / e`);
    expect(t.map((k) => `${k.kind}:${k.value}@${k.line}`)).toEqual([
      'name:a@1',
      "string:it's@2",
      'template:@3',
      'name:b@3',
      'punct:+@3',
      'template:@3',
      'name:c@3',
      'template:@3',
      'template:@3',
      'punct:;@4',
      'regex:/[/\'"]+/g@4',
      'punct:.@4',
      'name:test@4',
      'punct:(@4',
      'name:d@4',
      'punct:)@4',
      'punct:/@4',
      'name:e@4',
    ]);
  });

  it("tells division from a regular expression after a value, TypeScript's non-null value! and a keyword", () => {
    expect(
      tokenize(`f(x)! / 2 / y; a[0] / b; z = !/'/.test(s); return /"/`)
        .filter((k) => k.kind === 'regex')
        .map((k) => k.value),
    ).toEqual([`/'/`, `/"/`]);
  });

  it('decodes escapes in strings, so a quoted column name is the column', () => {
    expect(tokenize(`'\\u0065mail' "a\\x62\\u{63}"`).map((k) => k.value)).toEqual(['email', 'abc']);
  });
});

describe('feederReads', () => {
  it('destructuring: renames read the key, a default makes the column optional', () => {
    const found = readsOf(`import {csv} from 'brink';
const accounts = /*@*/csv('a.csv');
task(({data}) => {
  const {email, password: pw, 'first name': first, note = '', ...rest} = data(accounts);
});`);
    expect(found?.name).toBe('accounts');
    expect(found?.reads).toEqual([
      {column: 'email', line: 4, optional: false},
      {column: 'password', line: 4, optional: false},
      {column: 'first name', line: 4, optional: false},
      {column: 'note', line: 4, optional: true},
    ]);
  });

  it("direct property reads, through ctx.data, ?. and ['…'], on any line", () => {
    expect(
      required(`const accounts = /*@*/csv('a.csv');
async function login(ctx) {
  await ctx.http.post('/login', {json: {email: data(accounts).email, pw: ctx.data(accounts)?.password}});
  const nick = ctx.data(accounts)
    ['nick name'];
  return \`\${data<Row>(accounts).token}\`;
}`),
    ).toEqual(['email@3', 'password@3', 'nick name@5', 'token@6']);
  });

  it('a variable bound to data(feeder): its property reads and destructuring in its block', () => {
    expect(
      required(`const accounts = /*@*/csv('a.csv');
task(async ({http, data}) => {
  const row = data(accounts);
  await http.post('/login', {json: {email: row.email}});
  const {password} = row;
  row.extra = 'x';               // a write, not a read
  row.email.toLowerCase();       // email again, then a string method
  console.log(row.toString(), JSON.stringify(row));
});
task(({data}) => data(accounts) && row.outside);`),
    ).toEqual(['email@4', 'password@5', 'email@7']);
  });

  it('a property the scenario sets on a row is no column, wherever it is read; Object.assign may set any', () => {
    expect(
      required(`const accounts = /*@*/csv('a.csv');
task(async ({http, data}) => {
  const row = data(accounts);
  row.token ??= (await http.post('/login', {json: {email: row.email}})).json().token;
  http.bearer(data(accounts).token);
  data(accounts)['seen'] = true;
});
task(({data}) => data(accounts).seen && data(accounts).password);`),
    ).toEqual(['email@4', 'password@8']);
    expect(
      required(`const accounts = /*@*/csv('a.csv');
task(({data}) => { Object.assign(data(accounts), {token: 't'}); return data(accounts).token; });`),
    ).toEqual([]);
    expect(
      required(`const accounts = /*@*/csv('a.csv');
task(({data}) => { const row = data(accounts); Object.assign(row, {token: 't'}); return row.token + data(accounts).email; });`),
    ).toEqual([]);
  });

  it('the typed form: required keys of an inline type, not optional ones', () => {
    const found = readsOf(`const accounts = /*@*/csv<{
  readonly email: string
  note?: string;
  'pass word': string, age: number
}>('a.csv');`);
    expect(found?.typed.map((r) => `${r.column}@${r.line}`)).toEqual(['email@2', 'pass word@4', 'age@4']);
    expect(readsOf(`const a = /*@*/csv<Account>('a.csv');`)?.typed).toEqual([]);
    expect(readsOf(`const a = /*@*/csv<{[k: string]: string}>('a.csv');`)?.typed).toEqual([]);
  });

  it('finds the call by its column when a line has two, and follows a type annotation or brink.csv', () => {
    const src = `const a = /*@*/csv('a.csv'), b = csv('b.csv');\nconst {x} = data(a); const {y} = data(b);`;
    expect(required(src)).toEqual(['x@2']);
    expect(readsOf(`const acc: Feeder<{a: string}> = brink./*@*/csv('a.csv');\nvoid data(acc).z;`)?.reads.map((r) => r.column)).toEqual([
      'z',
    ]);
  });

  it('ignores what comments and strings say', () => {
    expect(
      required(`const accounts = /*@*/csv('a.csv');
// data(accounts).commented
const s = 'data(accounts).quoted' + "data(accounts).q2" + \`data(accounts).tpl\`;
/* const {blocked} = data(accounts); */`),
    ).toEqual([]);
  });

  it('leaves dynamic and unknown forms unchecked', () => {
    expect(
      required(`const accounts = /*@*/csv('a.csv');
task(({data}) => {
  const key = 'email';
  data(accounts)[key];                          // computed
  const {[key]: v} = data(accounts);            // computed key
  const row = data(accounts) ?? {other: 1};     // not only the feeder's row
  row.other;
  const all = [data(accounts)]; all[0].email;   // not followed
  helper(data(accounts));
  data(accounts).hasOwnProperty('x');           // a method, not a column
});`),
    ).toEqual([]);
  });

  it('a feeder name bound again (a parameter, a declaration, an assignment) is not followed', () => {
    const shadowed = [
      `function login(ctx, accounts) { return ctx.data(accounts).nope; }`,
      `const f = (accounts) => data(accounts).nope;`,
      `const f = accounts => data(accounts).nope;`,
      `function f({accounts}) { data(accounts).nope; }`,
      `{ const accounts = rows([{a: 1}]); data(accounts).nope; }`,
      `try {} catch (accounts) { data(accounts).nope; }`,
    ];
    for (const extra of shadowed) {
      expect(readsOf(`let accounts = /*@*/csv('a.csv');\n${extra}`)?.reads, extra).toEqual([]);
    }
    expect(readsOf(`let accounts = /*@*/csv('a.csv');\naccounts = csv('b.csv');\ndata(accounts).nope;`)?.reads).toEqual([]);
    // The same name as an object key or a property is no binding.
    expect(required(`const accounts = /*@*/csv('a.csv');\nconst o = {accounts: 1, x: ctx.accounts};\ndata(accounts).yes;`)).toEqual([
      'yes@3',
    ]);
  });

  it('a row variable bound again in its block is not followed, but one per task is', () => {
    expect(
      required(`const accounts = /*@*/csv('a.csv');
task(({data}) => { const row = data(accounts); row.a; });
task(({data}) => { const row = data(accounts); row.b; });
task(({data}) => { const row = data(accounts); [1].map((row) => row.notAColumn); });`),
    ).toEqual(['a@2', 'b@3']);
  });

  it('gives up on a feeder not bound by a declaration, or source it cannot read', () => {
    expect(readsOf(`export default scenario({feeder: /*@*/csv('a.csv')});`)).toBeUndefined();
    expect(readsOf(`data(/*@*/csv('a.csv')).email;`)).toBeUndefined();
    expect(readsOf(`const a = /*@*/csv('a.csv'); const s = 'unclosed`)).toBeUndefined();
    expect(readsOf(`const a = /*@*/csv('a.csv'); f(]`)).toBeUndefined();
  });
});
