// Readers loading an article as a browser does over HTTP/2: the page, then its script, style, logo and the
// comments API all at once, multiplexed as streams over the few connections brink keeps to the host, rather
// than queued behind each other or spread over a connection each as HTTP/1.1 would. `http2: true` here is
// `--http2` on the command line; the host must offer h2 (nginx: `listen 443 ssl http2;`).
//
//   brink run scenarios/http2-page.ts --host https://localhost:8443 --insecure   # --insecure: a self-signed cert
import {scenario, user, task, between} from 'brink';

const ASSETS = ['/static/app.js', '/static/app.css', '/static/logo.svg'];

export const reader = user('reader', {wait: between(1, 3)}, [
  task(3, 'article', async ({http, randomInt}) => {
    const id = randomInt(1, 200);
    await http.get(`/articles/${id}`, {name: 'GET /articles/:id'});
    // What the page refers to, fetched together: each a stream of its own on the same connection.
    await Promise.all([
      ...ASSETS.map((path) => http.get(path)),
      http.get(`/api/articles/${id}/comments`, {name: 'GET /api/articles/:id/comments'}),
    ]);
  }),
  task(1, 'home', ({http}) => http.get('/')),
]);

export default scenario({name: 'http2-page', http2: true, users: [reader]});
