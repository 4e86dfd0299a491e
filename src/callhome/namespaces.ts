/**
 * The names a Call Home XML document is made of (ios-call-home.md §6.5), written once: the renderer
 * declares these namespaces and the parser matches elements on them (namespace URI + local name).
 */

/** Namespaces of the SOAP 1.2 envelope and the AML blocks. */
export const CALL_HOME_NAMESPACES = {
  soapEnv: 'http://www.w3.org/2003/05/soap-envelope',
  amlSession: 'http://www.cisco.com/2004/01/aml-session',
  amlBlock: 'http://www.cisco.com/2004/01/aml-block',
  ch: 'http://www.cisco.com/2005/05/callhome',
  rme: 'http://www.cisco.com/rme/4.0',
} as const;

/** `aml-session:Via` / `aml-session:From` of every device message. */
export const APPLIANCE_URI = 'http://www.cisco.com/appliance/uri';

/** `aml-block:Type` of a message: `http://www.cisco.com/2005/05/callhome/<type>`. */
export function blockTypeUri(kind: string): string {
  return `${CALL_HOME_NAMESPACES.ch}/${kind}`;
}
