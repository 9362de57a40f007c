/**
 * Run-time switches on an emulated app, for labs that simulate failures
 * (`Cluster.setAppState`). They model the app's own behaviour, not Kubernetes':
 * - `listening: false`: the process accepts no connections (probes and clients get
 *   "connection refused");
 * - `ready: false`: the endpoint the readinessProbe checks answers HTTP 503 (an exec
 *   readiness probe exits 1); other paths keep answering;
 * - `live: false`: the endpoint the livenessProbe checks answers HTTP 500 (an exec liveness
 *   probe exits 1), so the kubelet restarts the container after failureThreshold probes.
 * A probe on the same port and path as a failing one fails too, as on a real app. The
 * switches belong to the pod's container and survive container restarts (a broken config
 * stays broken) unless set with `resetOnRestart`.
 */
export interface AppState {
  ready: boolean;
  live: boolean;
  listening: boolean;
  resetOnRestart: boolean;
}

export const HEALTHY: Readonly<AppState> = Object.freeze({ ready: true, live: true, listening: true, resetOnRestart: false });

export class AppStates {
  #byKey = new Map<string, AppState>();

  get(uid: string, container: string): Readonly<AppState> {
    return this.#byKey.get(`${uid}/${container}`) ?? HEALTHY;
  }

  set(uid: string, container: string, patch: Partial<AppState>): void {
    const cur = this.get(uid, container);
    const next = { ...cur, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as AppState;
    if (next.ready && next.live && next.listening) this.#byKey.delete(`${uid}/${container}`);
    else this.#byKey.set(`${uid}/${container}`, next);
  }

  /** A container restarted: drop switches that were meant to last one run. */
  restarted(uid: string, container: string): void {
    if (this.get(uid, container).resetOnRestart) this.#byKey.delete(`${uid}/${container}`);
  }

  forget(uid: string, containers: readonly string[]): void {
    for (const c of containers) this.#byKey.delete(`${uid}/${c}`);
  }
}
