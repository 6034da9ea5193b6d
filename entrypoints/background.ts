import { forwardCommands } from '@/lib/extension/commands';
import { openCompanionDb } from '@/lib/extension/db';
import { createHandlers } from '@/lib/extension/handlers';
import { acceptPagePorts } from '@/lib/extension/keepalive';
import { broadcast, serveMessages } from '@/lib/extension/messaging';
import { Sync } from '@/lib/extension/sync';

export default defineBackground(() => {
  const sync = new Sync({ db: openCompanionDb(), broadcast });
  serveMessages(createHandlers(sync));
  forwardCommands();
  // A page connecting means someone is looking: revalidate and make sure the stream is open.
  acceptPagePorts({ onConnect: () => void sync.start().catch(() => undefined), onPing: () => sync.touch() });
  void sync.start().catch(() => undefined);
});
