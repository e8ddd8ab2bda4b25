export { loadDemoSubscribers } from './demo-subscribers.js';
export { demoAccounts, loadDemo } from './load-demo.js';
