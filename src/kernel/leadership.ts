/**
 * Singleton jobs across the servers of one centre. Some work must run in exactly one process at a
 * time however many servers share the database: the delivery worker (one sender per agency
 * message), the inbox watcher (one importer per dropped folder), the demo network, QA sampling.
 * Each server asks to lead each such job; one does; when it dies or loses its database, another
 * takes the job over within seconds.
 */
export interface SingletonJob {
  /** Starts the job's work; called when this process becomes its leader. */
  start(): void | Promise<void>;
  /** Stops it; called when leadership is lost or given up. Resolves once the work has stopped. */
  stop(): void | Promise<void>;
}

export interface JobLeadership {
  /** Whether this process runs the job now. */
  readonly leading: boolean;
  /** Stops the job here (if it runs) and stops asking to lead it. */
  release(): Promise<void>;
}

export interface Leadership {
  /** Runs `job` while this process leads `name` among the processes on the database. */
  lead(name: string, job: SingletonJob): JobLeadership;
  /** Releases every job (at close). */
  close(): Promise<void>;
}

/**
 * One process owns the SQLite file (the single-workstation shape): it leads every job at once,
 * synchronously, so what a job starts is there as soon as `lead` returns.
 */
export class LocalLeadership implements Leadership {
  private readonly held = new Set<{ release(): Promise<void> }>();

  lead(_name: string, job: SingletonJob): JobLeadership {
    let leading = true;
    const started = Promise.resolve(job.start());
    const handle = {
      get leading() {
        return leading;
      },
      release: async () => {
        if (!leading) return;
        leading = false;
        this.held.delete(handle);
        await started.catch(() => undefined);
        await job.stop();
      },
    };
    this.held.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    await Promise.all([...this.held].map((h) => h.release()));
  }
}
