export {
  AccessLabel,
  CapabilityLabels,
  KeyStatusLabel,
  SubscriptionStatusLabel,
  useCapabilityName,
} from './Labels';
