/**
 * A target's source-port range, cycled one port per attempt (issue 8). The cycler only says which
 * port comes next; whether a port is busy is learnt from bind(2)/connect(2) by the dialler
 * (dial-ports.ts). One cycler per target actor, kept across its probes; a new one when the range changes.
 */

/** Cycles `[min, max]` in order, wrapping around; starts at `min`. */
export class SourcePorts {
  private nextPort: number;

  /** @param min first port, @param max last port (1024–65535, min ≤ max; checked on save by wire-rules.ts) */
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    this.nextPort = min;
  }

  /** Number of ports in the range. */
  get size(): number {
    return this.max - this.min + 1;
  }

  /** The port for this try; the one after it comes next time. */
  take(): number {
    const port = this.nextPort;
    this.nextPort = port >= this.max ? this.min : port + 1;
    return port;
  }
}
