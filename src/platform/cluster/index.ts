export { startClusterPrimary, type ClusterPrimary, type ClusterPrimaryOptions } from './primary.js';
export { clusterWorkerIndex, relayedDatagramEndpoint, type RelayedEndpoint } from './worker.js';
export { slotOfSource } from './source-hash.js';
