import { runAction } from '../../lib/action/index.js';
import { main } from './main.js';

void runAction('backlog-grid', main);
