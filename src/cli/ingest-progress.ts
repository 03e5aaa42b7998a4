import cliProgress from 'cli-progress';

/** How `foresight ingest` reports progress: a bar on a TTY, one plain line a transcript when piped. */
export interface IngestProgress {
  transcriptDone(done: {
    line: number;
    conversationId: string;
    userId: string;
    messages: number;
  }): void;
  /** Stops the bar (if any) so that a message can follow on its own line. */
  stop(): void;
}

export function ingestProgress(
  total: number,
  stream: NodeJS.WriteStream = process.stdout,
): IngestProgress {
  if (!stream.isTTY) {
    let count = 0;
    return {
      transcriptDone({ line, conversationId, userId, messages }) {
        count++;
        stream.write(
          `[${count}/${total}] line ${line}: conversation ${conversationId} (user ${userId}), ${messages} message${messages === 1 ? '' : 's'} recorded\n`,
        );
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: 'ingest [{bar}] {value}/{total} transcripts | {messages} messages',
      hideCursor: true,
      stream,
    },
    cliProgress.Presets.shades_classic,
  );
  let messages = 0;
  let stopped = false;
  bar.start(total, 0, { messages });
  return {
    transcriptDone(done) {
      messages += done.messages;
      bar.increment(1, { messages });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
