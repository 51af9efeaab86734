import { fetchNamespaces } from '@temporalio/ui/services/namespaces-service';
import { fetchSearchAttributesForNamespace } from '@temporalio/ui/services/search-attributes-service';
import { allSearchAttributes } from '@temporalio/ui/stores/search-attributes';

// What the UI's namespace layout loads before any page of a namespace: its namespaces and search attributes.
export const load = async ({ params, parent, fetch }) => {
  const { settings } = await parent();
  await fetchNamespaces(settings, fetch);
  allSearchAttributes.set(await fetchSearchAttributesForNamespace(params.namespace, fetch));
  return {};
};
