// `node --import ./register.mjs …`: installs the resolution hook before main.js is loaded.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
