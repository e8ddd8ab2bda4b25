export { loadDemoSubscribers } from './demo-subscribers.js';
export { demoAccounts, loadDemo } from './load-demo.js';
export { DEFAULT_STORY_SUBSCRIBERS, demoStoryState, loadDemoStory, type StoryLoad } from './load-story.js';
export { MINIMUM_STORY_SUBSCRIBERS } from './story-cast.js';
export { tellDemoStory, type StoryFigures } from './story.js';
