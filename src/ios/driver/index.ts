/** The IOS session driver: connect, authenticate, drive the CLI. */
export { IosSession, type SendOptions, type SessionOptions } from './session.js';
export { connectSsh, LEGACY_ALGORITHMS, type HostKeyCheck, type SshCredentials, type SshTarget, type SshConnection, type ConnectOptions } from './connect.js';
export { CliError, DeviceError, DEVICE_ERROR_KINDS, type DeviceErrorKind } from './errors.js';
export { ANY_PROMPT, hostPrompt, readPrompt, findErrorLine } from './prompt.js';
export { Transcript } from './transcript.js';
export { execOnce } from './exec-channel.js';
