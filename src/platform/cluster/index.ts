export { startClusterPrimary, type ClusterPrimary, type ClusterPrimaryOptions } from './primary.js';
export { clusterWorkerIndex, relayedDatagramEndpoint, type RelayedEndpoint } from './worker.js';
export { type RelayedDatagram } from './messages.js';
export {
  callIdBounds,
  dispatchHeaders,
  routePort,
  slotOfDatagram,
  slotOfSource,
  topRoutePort,
  type DispatchHeaders,
} from './datagram-slot.js';
