// Bench scenario: many users who read for 1–3 s between requests (20,000 of them in the bench).
import {scenario, user, task, between} from 'brink';

export const reader = user('reader', {wait: between(1, 3)}, [task(1, 'page', ({http}) => http.get('/'))]);

export default scenario({name: 'bench-think', users: [reader]});
