export { type ContractSubject, describeAuthProviderContract } from './contract.js';
export {
  type RecordingProvider,
  type RecordingProviderOptions,
  recordingAuthProvider,
} from './recording-provider.js';
export {
  type Script,
  type ScriptedReply,
  type ScriptedServer,
  type SeenRequest,
  startScriptedServer,
} from './scripted-server.js';
