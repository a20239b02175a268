export { SubscriptionsPage } from './SubscriptionsPage';
export { subscriptionsMessages } from './messages';
