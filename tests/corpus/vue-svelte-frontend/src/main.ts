import { createApp } from 'vue';

import StatusBadge from './components/StatusBadge.vue';
import { gatewayClient } from './lib/websocketClient';

gatewayClient.connect();
createApp(StatusBadge).mount('#app');
