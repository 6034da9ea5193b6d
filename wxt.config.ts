import { defineConfig } from 'wxt';

// Chrome match patterns without a port match every port, so the built-in inbox is
// reached whatever PORT the companion listens on.
const builtInInboxHosts = ['http://127.0.0.1/*', 'http://localhost/*'];

// public/icon/<size>.png (drawn by `npm run icons`): toolbar sizes 16/32, extensions page 48, store 128.
const icons = { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' };

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  manifest: {
    name: 'Inbox Companion',
    description: 'Shortcut launcher and workflow forms for your support inbox',
    icons,
    action: { default_icon: icons, default_title: 'Inbox Companion' },
    permissions: ['storage', 'scripting'],
    host_permissions: builtInInboxHosts,
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    // The content script imports its form renderer on demand (content scripts cannot split
    // chunks); inboxes on other origins are added at run time, hence every http(s) page.
    web_accessible_resources: [{ resources: ['inbox-forms.js'], matches: ['http://*/*', 'https://*/*'] }],
    commands: {
      'open-shortcuts': {
        suggested_key: { default: 'Alt+Shift+K' },
        description: 'Open the shortcut menu in the inbox',
      },
    },
  },
  // Dexie's bundle holds U+FFFF; Chrome refuses non-UTF-8-looking scripts, and rolldown
  // keeps such characters unless told to escape them.
  vite: () => ({ build: { rollupOptions: { output: { charset: 'ascii' } } } }),
});
