export { startLocalKvServer } from './local-kv-server.js';
export type { FailedRequest, LocalKvServer, LocalKvServerOptions } from './server-options.js';
export type { FaultControl, FaultSpec, FaultStatus, InjectedFault } from './fault-injector.js';
