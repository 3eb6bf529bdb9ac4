/**
 * Paces the messages sent to each group robot: at most `messagesPerWindow` in any `windowMs`
 * (WeCom allows 20 a minute per robot and answers errcode 45009 beyond it). Pure: `now` is passed.
 * A refusal (45009) blocks the robot for a whole window, since its count is not ours to see.
 */
export class RobotPacing {
  private readonly sent = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    readonly messagesPerWindow: number,
    readonly windowMs: number,
  ) {}

  /** The earliest time the next message to `robot` may go. */
  nextSlot(robot: string, now: Date): Date {
    const t = now.getTime();
    const recent = this.recent(robot, t);
    let slot = t;
    if (recent.length >= this.messagesPerWindow)
      slot = recent[recent.length - this.messagesPerWindow] + this.windowMs;
    return new Date(Math.max(slot, this.blockedUntil.get(robot) ?? 0));
  }

  recordSend(robot: string, now: Date): void {
    const recent = this.recent(robot, now.getTime());
    recent.push(now.getTime());
    this.sent.set(robot, recent);
  }

  /** The robot refused for sending too often: nothing more until a window has passed. */
  recordRefusal(robot: string, now: Date): Date {
    const until = now.getTime() + this.windowMs;
    this.blockedUntil.set(robot, until);
    return new Date(until);
  }

  private recent(robot: string, t: number): number[] {
    return (this.sent.get(robot) ?? []).filter((at) => at > t - this.windowMs);
  }
}
