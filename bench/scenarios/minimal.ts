// Bench scenario: the least a scenario request can be (one GET, no name, no check, no cookie). Not a goal of its
// own: its ratio to quick mode is the floor under every scenario's, what running a script costs before any
// feature it uses (a user's task loop, a promise and a response object a request).
import {scenario, user, task} from 'brink';

export const visitor = user('visitor', {}, [task(1, 'root', ({http}) => http.get('/'))]);

export default scenario({name: 'bench-minimal', users: [visitor]});
