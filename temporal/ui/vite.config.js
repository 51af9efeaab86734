import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // The UI calls the HTTP API on its own origin (the embedded service serves both).
  define: {
    'import.meta.env.VITE_API': JSON.stringify(''),
    'import.meta.env.VITE_TEMPORAL_UI_BUILD_TARGET': JSON.stringify('local'),
    'import.meta.env.VITE_DARK_MODE': JSON.stringify(''),
  },
  build: { chunkSizeWarningLimit: 8000 },
  ssr: { noExternal: ['@temporalio/ui'] },
});
