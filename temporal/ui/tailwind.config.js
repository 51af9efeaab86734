import preset from './node_modules/@temporalio/ui/dist/theme/preset.js';

export default {
  presets: [preset],
  content: ['./src/**/*.{html,js,svelte,ts}', './node_modules/@temporalio/ui/dist/**/*.{html,js,svelte,ts}'],
};
