// A list screen's page of rows: which page is shown, how many rows there are in all, and loading
// it again when the page or the filters change. A failed load says why in an error toast.
import { ref, type Ref } from 'vue';
import type { Page } from '@/api/client';
import { useAction } from './use-action';

/** `fetchPage` asks the api for one page (1-based), with the screen's filters as they are now. */
export function usePagedList<T>(fetchPage: (page: number) => Promise<Page<T>>) {
  const items = ref([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(1);
  const { busy: loading, run } = useAction();

  async function load(): Promise<void> {
    await run(async () => {
      const result = await fetchPage(page.value);
      items.value = result.items;
      total.value = result.total;
    });
  }

  /** After a filter changed: back to the first page. */
  function reload(): Promise<void> {
    page.value = 1;
    return load();
  }

  return { items, total, page, loading, load, reload };
}
