/**
 * Numbers that changed (clause 7: a number change announced as part of a maintenance window), for
 * the period calls to the old number are still answered with the new one. The maintenance module
 * owns the data; the service wires its lookup into the SIP server.
 */
export interface MovedNumbers {
  /** The number `number` moved to, if at `at` calls to it are to be sent there; else null. */
  movedTo(number: string, at: Date): Promise<string | null>;
}

/**
 * The Warning texts (RFC 3261 §20.43, code 399: miscellaneous, for a person to read) of a 301 for
 * a moved number, one per language. The warn-text is a quoted-string, which carries UTF-8 (§25.1).
 */
export function movedNumberWarnings(oldNumber: string, newNumber: string): { en: string; 'zh-CN': string } {
  return {
    en: `The number ${oldNumber} has changed to ${newNumber}; please call ${newNumber}`,
    'zh-CN': `号码 ${oldNumber} 已变更为 ${newNumber}，请拨打 ${newNumber}`,
  };
}
