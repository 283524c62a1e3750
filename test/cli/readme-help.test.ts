// The readme's command reference is each command's --help as the built CLI prints it, word for word. When a
// flag or a text changes, this fails until the readme is brought along:
//   BRINK_UPDATE_README=1 npx vitest run test/cli/readme-help.test.ts
import {describe, expect, it} from 'vitest';
import {readFileSync, writeFileSync} from 'node:fs';
import {COMMANDS, type CommandName} from '../../source/cli/commands.js';
import {runCli} from './run-cli.js';

const README = new URL('../../readme.md', import.meta.url);
const update = process.env.BRINK_UPDATE_README === '1';

/** How a user asks each command for its help. */
const invocation = (command: CommandName): string[] => (command === 'quick' ? ['http://127.0.0.1:8000/', '--help'] : [command, '--help']);
const shownAs = (command: CommandName) => (command === 'quick' ? 'brink <url> --help' : `brink ${command} --help`);

/** The readme's block for a command: between `<!-- help:NAME -->` and `<!-- /help:NAME -->`. */
function block(readme: string, command: CommandName): {start: number; end: number; text: string} | undefined {
  const open = `<!-- help:${command} -->\n`;
  const start = readme.indexOf(open);
  const end = readme.indexOf(`<!-- /help:${command} -->`);
  if (start < 0 || end < 0) return undefined;
  return {start: start + open.length, end, text: readme.slice(start + open.length, end)};
}

const render = (command: CommandName, help: string) =>
  `<details><summary><code>${shownAs(command)}</code></summary>\n\n\`\`\`text\n$ ${shownAs(command)}\n${help.replace(/\s+$/, '')}\n\`\`\`\n\n</details>\n`;

describe("the readme's command reference", () => {
  for (const command of Object.keys(COMMANDS) as CommandName[]) {
    it(`holds ${shownAs(command)} as brink prints it`, async () => {
      const r = await runCli(invocation(command));
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(100);
      const readme = readFileSync(README, 'utf8');
      const want = render(command, r.stdout);
      const at = block(readme, command);
      if (update && at) {
        writeFileSync(README, readme.slice(0, at.start) + want + readme.slice(at.end));
        return;
      }
      expect(at, `readme.md has no <!-- help:${command} --> block`).toBeDefined();
      expect(at!.text).toBe(want);
    });
  }
});
