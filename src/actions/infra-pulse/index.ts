import { runAction } from '../../lib/action/index.js';
import { main } from './main.js';

void runAction('infra-pulse', main);
