import { createInterface } from 'node:readline';

/** Reads a password without echoing it on a terminal, or one line from piped standard input. */
export async function readPasswordFromStdin(mode: 'stdin' | 'prompt'): Promise<string> {
  if (mode === 'prompt' && process.stdin.isTTY) {
    process.stdout.write('Password: ');
    process.stdin.setRawMode(true);
    return new Promise((resolve, reject) => {
      let value = '';
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            process.stdin.setRawMode(false);
            process.stdin.pause();
            process.stdin.off('data', onData);
            process.stdout.write('\n');
            resolve(value);
            return;
          }
          if (char === '\u0003') {
            process.stdin.setRawMode(false);
            reject(new Error('cancelled'));
            return;
          }
          value = char === '\u007f' ? value.slice(0, -1) : value + char;
        }
      };
      process.stdin.on('data', onData);
      process.stdin.resume();
    });
  }
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new Error('no password on standard input');
}
