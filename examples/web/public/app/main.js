// Placeholder until the page lands.
import { render, h } from 'preact';
import { TIME_PERIODS } from 'actioncenter';
render(h('p', null, `Action center: ${TIME_PERIODS.join(', ')}`), document.getElementById('root'));
