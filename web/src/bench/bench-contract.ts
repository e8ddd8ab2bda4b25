/**
 * What bench/call-bench.ts and the bench page (call-bench-page.ts) exchange through `window.bench`:
 * plain types only, so the Node side can import them without the page's browser code.
 */
export interface BenchPhoneConfig {
  wsUri: string;
  domain: string;
  number: string;
  username: string;
  password: string;
  relayOnly: boolean;
  /** Answers every incoming call as soon as it rings (no test-driver round trip is counted). */
  autoAnswer: boolean;
}

export interface SipFrame {
  at: number;
  socket: number;
  out: boolean;
  /** The method of the request, or of the request a response answers (CSeq). */
  method: string;
  status: number | null;
  callId: string;
}
