import { runAction } from '../../lib/action/index.js';
import { main } from './main.js';

void runAction('daily-wrap', main);
