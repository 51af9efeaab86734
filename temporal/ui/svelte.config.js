import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// A single-page app: the embedded service serves index.html for every path that is not a file or /api.
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: process.env.FLOW_UI_OUT ?? 'build', assets: process.env.FLOW_UI_OUT ?? 'build', fallback: 'index.html', strict: false }),
  },
};
