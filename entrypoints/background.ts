export default defineBackground(() => {
  // Services are registered by later work (sync, cache, messaging).
});
