export { startClusterPrimary, type ClusterPrimary, type ClusterPrimaryOptions } from './primary.js';
export { clusterWorkerIndex, relayedDatagramEndpoint, type RelayedEndpoint } from './worker.js';
export { callIdBounds, slotOfDatagram, slotOfSource, topRoutePort } from './datagram-slot.js';
