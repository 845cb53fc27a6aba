export { type AgentTestAccount, agentTestAccount } from './agent-test-account.js';
export { chatgptAuthJson } from './auth-json.js';
export type { TaskAuthProvider } from './task-auth-provider.js';
