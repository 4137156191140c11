// For the speed benchmark (scripts/bench-ui.sh): the app's script has
// loaded and its modules are evaluated (imports run first).
performance.mark('tidings:script');
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

const app = mount(App, { target: document.getElementById('app')! });

export default app;
