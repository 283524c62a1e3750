// The classic single-endpoint stress test, as done with wrk or hey: every virtual user looks up user
// profiles by id back to back, with no think time, so users ≈ concurrent connections. The service
// knows ids 0..999 and each lookup costs it 10–100 ms; ids are drawn from 1..1200, so about one
// lookup in six is a 404, which is the right answer here and is not counted as a failure.
//
//   brink run scenarios/user-lookup.ts --host http://localhost:8000
import {scenario, user, task} from 'brink';

export const client = user('client', {}, [
  task(1, 'lookup', ({http, randomInt}) => http.get(`/user/${randomInt(1, 1200)}`, {name: 'GET /user/:id', expect: [200, 404]})),
]);

export default scenario({name: 'user-lookup', users: [client]});
