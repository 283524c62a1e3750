// Account owners uploading files: a profile picture (multipart/form-data, the bytes made here), and a
// CSV customer import that the API accepts at once (202) and processes in the background; the user
// polls the import until it is done, as a web client's progress bar would. Uploads stress request
// parsing and body limits in a way small JSON requests do not.
//
//   brink run scenarios/upload.ts --host http://localhost:8000
import {scenario, user, task, between, csv} from 'brink';
import {apiLogin, authed} from './lib/api-auth.js';

const accounts = csv<{username: string; password: string}>('data/accounts.csv');

/** A PNG signature followed by `size` bytes of noise: enough for a server that checks what arrived. */
function fakePng(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < size; i++) bytes[i] = (i * 2654435761) >>> 24;
  return bytes;
}

function customersCsv(rows: number, userId: number): string {
  const lines = ['email,first_name,last_name,plan'];
  for (let i = 0; i < rows; i++)
    lines.push(`customer${userId}-${i}@example.com,Ada${i},Lovelace,${['starter', 'business', 'enterprise'][i % 3]}`);
  return `${lines.join('\n')}\n`;
}

export const uploader = user(
  'uploader',
  {
    wait: between(2, 5),
    onStart: (ctx) => {
      const {username, password} = ctx.data(accounts);
      return apiLogin(ctx, `${username}@example.com`, password);
    },
  },
  [
    task(2, 'avatar', async (ctx) => {
      const image = fakePng(ctx.randomInt(2_000, 64_000));
      await authed(ctx, 'POST', '/upload/avatar', {
        multipart: {avatar: {filename: 'avatar.png', data: image, contentType: 'image/png'}},
        expect: 201,
        check: (res) => res.json().bytes === image.length || `the server got ${res.json().bytes} bytes, not ${image.length}`,
      });
    }),
    task(1, 'import customers', async (ctx) => {
      const upload = await authed(ctx, 'POST', '/api/imports', {
        multipart: {
          file: {filename: 'customers.csv', data: customersCsv(ctx.randomInt(20, 200), ctx.userId), contentType: 'text/csv'},
          import_type: 'customers',
        },
        expect: 202,
        check: (res) => typeof res.json().id === 'string' || 'the import answer has no id',
      });
      if (upload.failed) return;
      const {id} = upload.json<{id: string}>();
      // Poll every half second, for at most 30 s.
      for (let poll = 1; ; poll++) {
        await ctx.sleep(0.5);
        const status = await authed(ctx, 'GET', `/api/imports/${id}`, {name: 'GET /api/imports/:id'});
        if (status.failed || status.json<{status: string}>().status === 'done') return;
        if (poll === 60) return status.fail(`import ${id} still not done after 30 s`);
      }
    }),
  ],
);

export default scenario({name: 'upload', users: [uploader]});
