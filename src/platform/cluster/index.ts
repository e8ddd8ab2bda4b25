export { startClusterPrimary, type ClusterPrimary, type ClusterPrimaryOptions } from './primary.js';
export {
  clusterForwardSecret,
  clusterWorkerIndex,
  sharedDatagramEndpoint,
  type SharedDatagramOptions,
  type SharedEndpoint,
} from './worker.js';
export { decodeForwarded, encodeForwarded, FORWARD_SECRET_BYTES, type ForwardedDatagram } from './forwarding.js';
export { type DatagramsReady, type SlotTable } from './messages.js';
export {
  callIdBounds,
  dispatchHeaders,
  routePort,
  slotOfDatagram,
  slotOfSource,
  topRoutePort,
  type DispatchHeaders,
} from './datagram-slot.js';
