import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { OptionsApp } from '../../components/options/OptionsApp';
import '../../components/forms/shortcut-form.css';
import './style.css';

const client = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } } });

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={client}><OptionsApp /></QueryClientProvider>,
);
