import type { EndpointSlice, Service } from '../model/types';
import type { ProxierOptions } from './config';
import { EndpointsChangeTracker } from './endpointschangetracker';
import { ServiceChangeTracker } from './servicechangetracker';
import type { EndpointsMap, ServicePortMap } from './types';

/**
 * What every proxier shares: the Service and EndpointSlice change trackers, the maps they
 * feed, the handlers the informers call, and the masquerade mark. Upstream repeats these in
 * each proxier (pkg/proxy/iptables, pkg/proxy/ipvs); here they live once.
 */
export abstract class ChangeTrackingProxier {
  readonly nodeName: string;
  readonly serviceChanges = new ServiceChangeTracker();
  readonly endpointsChanges: EndpointsChangeTracker;
  readonly svcPortMap: ServicePortMap = new Map();
  readonly endpointsMap: EndpointsMap = new Map();
  /** fmt.Sprintf("%#08x", 1<<bit) pads the digits to 8: "0x00004000" for bit 14 (the value
   *  kube-proxy logs and restores; iptables-save prints it back as 0x4000). */
  protected readonly masqueradeMark: string;
  protected nodeLabels: Record<string, string> | undefined;
  protected needFullSync = true;

  /** nameEndpointChains: whether endpoints get KUBE-SEP- chain names (iptables mode only). */
  constructor(opts: Pick<ProxierOptions, 'nodeName' | 'nodeLabels' | 'masqueradeMark' | 'masqueradeBit'>, nameEndpointChains = true) {
    this.nodeName = opts.nodeName;
    this.endpointsChanges = new EndpointsChangeTracker(opts.nodeName, nameEndpointChains);
    this.masqueradeMark = opts.masqueradeMark ?? '0x' + (1 << (opts.masqueradeBit ?? 14)).toString(16).padStart(8, '0');
    this.nodeLabels = opts.nodeLabels;
  }

  onServiceAdd(svc: Service): void {
    this.serviceChanges.update(null, svc);
  }
  onServiceUpdate(oldSvc: Service, svc: Service): void {
    this.serviceChanges.update(oldSvc, svc);
  }
  onServiceDelete(svc: Service): void {
    this.serviceChanges.update(svc, null);
  }
  onEndpointSliceAdd(slice: EndpointSlice): void {
    this.endpointsChanges.endpointSliceUpdate(slice, false);
  }
  onEndpointSliceUpdate(_old: EndpointSlice, slice: EndpointSlice): void {
    this.endpointsChanges.endpointSliceUpdate(slice, false);
  }
  onEndpointSliceDelete(slice: EndpointSlice): void {
    this.endpointsChanges.endpointSliceUpdate(slice, true);
  }
  /** Node label changes (topology zone) force a full sync, as upstream. */
  onNodeLabels(labels: Record<string, string> | undefined): void {
    if (JSON.stringify(labels ?? null) === JSON.stringify(this.nodeLabels ?? null)) return;
    this.nodeLabels = labels ? { ...labels } : undefined;
    this.needFullSync = true;
  }
  /** Whether Service/EndpointSlice changes are waiting for a sync. */
  hasPendingChanges(): boolean {
    return this.serviceChanges.pending() > 0 || this.endpointsChanges.pending() > 0;
  }
}
