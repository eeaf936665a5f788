/**
 * A real SMTP server on loopback for the tests (smtp-server, by nodemailer's authors), keeping every mail it accepted,
 * parsed as a mail client would (mailparser). `behaviour` lets a test refuse or stall deliveries.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** What the next DATA commands meet: accept (default), a temporary refusal (451), a permanent one (550), or a stall. */
  behaviour: 'accept' | 'temporary' | 'permanent' | 'stall';
  /** DATA commands that arrived, accepted or not. */
  attempts: number;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = { url: '', received: [], behaviour: 'accept', attempts: 0, close: async () => {} };
  const stalled: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream: SMTPServerDataStream, _session, callback) {
      sink.attempts += 1;
      const behaviour = sink.behaviour;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (behaviour === 'stall') {
          stalled.push(() => callback(new Error('Stalled delivery ended')));
          return;
        }
        if (behaviour === 'temporary') return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        if (behaviour === 'permanent') return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => {
            const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
            sink.received.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', messageId: parsed.messageId ?? '' });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () =>
    new Promise<void>((resolve) => {
      for (const release of stalled.splice(0)) release();
      server.close(() => resolve());
    });
  return sink;
}
