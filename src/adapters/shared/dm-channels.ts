/**
 * DM channel ids per person, so a DM costs one request instead of two. Concurrent first DMs
 * to one person share a single open request; a channel the platform forgot is dropped with
 * `forget` and opened afresh on the next DM.
 */
export class DmChannelCache {
  private readonly ids = new Map<string, string>();
  private readonly opening = new Map<string, Promise<string>>();

  constructor(private readonly open: (workspaceId: string, userId: string) => Promise<string>) {}

  has(workspaceId: string, userId: string): boolean {
    return this.ids.has(`${workspaceId}:${userId}`);
  }

  get(workspaceId: string, userId: string): Promise<string> {
    const key = `${workspaceId}:${userId}`;
    const known = this.ids.get(key);
    if (known) return Promise.resolve(known);
    let pending = this.opening.get(key);
    if (!pending) {
      pending = this.open(workspaceId, userId)
        .then((id) => {
          this.ids.set(key, id);
          return id;
        })
        .finally(() => this.opening.delete(key));
      this.opening.set(key, pending);
    }
    return pending;
  }

  forget(workspaceId: string, userId: string): void {
    this.ids.delete(`${workspaceId}:${userId}`);
  }
}
