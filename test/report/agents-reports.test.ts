// A run on brink agents (--agents): every report a user opens has a row per agent, and a lost one is marked.
import {describe, expect, it} from 'vitest';
import {htmlReport} from '../../source/report/html.js';
import {markdownReport} from '../../source/report/markdown.js';
import {summaryText} from '../../source/report/text.js';
import {endpoint, summary} from './summaries.js';

const agents = [
  {name: 'box-a', host: 'load-1', users: 25, requests: 12_345, failures: 3, lost: false},
  {
    name: 'box-b',
    host: 'load-2',
    users: 25,
    requests: 4_321,
    failures: 0,
    lost: true,
    lostWhy: 'it left: the agent was stopped by a signal',
  },
];

describe('agents in the reports', () => {
  const s = summary([endpoint('GET', '/')], {agents});

  it('Markdown: a table of the agents, the lost one marked and explained', () => {
    const md = markdownReport(s);
    expect(md).toContain('### Agents (2)');
    expect(md).toContain('| box-a | load-1 | 25 | 12,345 | 3 |  |');
    expect(md).toContain('| box-b | load-2 | 25 | 4,321 | 0 | **lost** (it left: the agent was stopped by a signal) |');
    expect(md).toContain('What a lost agent sent after its last report is not counted');
  });

  it('HTML: a section of the agents, the lost one badged', () => {
    const html = htmlReport(s);
    const section = html.slice(html.indexOf('<section class="card" id="agents">'));
    expect(section).toContain('<h2>Agents (2)</h2>');
    expect(section).toMatch(
      /<td class="l">box-b<\/td><td class="l">load-2<\/td><td>25<\/td><td>4,321<\/td><td>0<\/td><td><span class="badge fail">lost<\/span> it left: the agent was stopped by a signal<\/td>/,
    );
  });

  it('text: a line per agent', () => {
    const text = summaryText(s);
    expect(text).toMatch(/box-a\s+load-1\s+25 users\s+12,345 requests\s+3 failures/);
    expect(text).toMatch(/box-b\s+load-2\s+25 users\s+4,321 requests\s+0 failures\s+LOST \(it left: the agent was stopped by a signal;/);
  });

  it('one box: no agents section anywhere', () => {
    const one = summary([endpoint('GET', '/')]);
    expect(markdownReport(one)).not.toContain('Agents');
    expect(htmlReport(one)).not.toContain('id="agents"');
  });
});
