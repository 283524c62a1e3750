// Where a worker thread is stuck: a task with an endless synchronous loop blocks its event loop, so the worker
// answers nothing, ever. The inspector can still interrupt it: this pauses the worker's JavaScript, reads the
// stack where it spins (source-mapped back to the scenario file), and lets it go; the pool then replaces it.
import {Session} from 'node:inspector';

interface Attached {
  readonly sessionId: string;
  readonly workerInfo: {readonly workerId: string};
}

/** The stack of the worker thread `threadId` as it runs now, or undefined when it cannot be read within `timeoutMs`. */
export async function stackOfWorker(threadId: number, timeoutMs = 3000): Promise<string | undefined> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = (async () => {
      const attached = new Promise<Attached>((resolve) => {
        const on = (m: {params: Attached}) => {
          if (m.params.workerInfo.workerId !== String(threadId)) return;
          session.off('NodeWorker.attachedToWorker', on);
          resolve(m.params);
        };
        session.on('NodeWorker.attachedToWorker', on);
      });
      await post('NodeWorker.enable', {waitForDebuggerOnStart: false});
      const {sessionId} = await attached;
      let next = 0;
      const answers = new Map<number, (m: {result?: unknown}) => void>();
      let onPaused: (frames: Array<{callFrameId: string}>) => void = () => {};
      const paused = new Promise<Array<{callFrameId: string}>>((resolve) => (onPaused = resolve));
      session.on('NodeWorker.receivedMessageFromWorker', ({params}: {params: {sessionId: string; message: string}}) => {
        if (params.sessionId !== sessionId) return;
        const m = JSON.parse(params.message) as {
          id?: number;
          method?: string;
          params?: {callFrames: Array<{callFrameId: string}>};
          result?: unknown;
        };
        if (m.id !== undefined) answers.get(m.id)?.(m);
        else if (m.method === 'Debugger.paused') onPaused(m.params!.callFrames);
      });
      const send = (method: string, params: object = {}) =>
        new Promise<{result?: unknown}>((resolve) => {
          const id = ++next;
          answers.set(id, resolve);
          void post('NodeWorker.sendMessageToWorker', {sessionId, message: JSON.stringify({id, method, params})});
        });
      await send('Debugger.enable');
      void send('Debugger.pause');
      const [top] = await paused;
      // Evaluated where it spins: the worker maps its own stack traces back to the scenario's .ts lines.
      const answer = (await send('Debugger.evaluateOnCallFrame', {callFrameId: top.callFrameId, expression: 'new Error().stack'})) as {
        result?: {result?: {value?: unknown}};
      };
      void send('Debugger.resume');
      const stack = answer.result?.result?.value;
      return typeof stack === 'string' ? stack : undefined;
    })();
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    return await Promise.race([work, late]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    session.disconnect();
  }
}
