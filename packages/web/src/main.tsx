/* @refresh reload */
import { render } from 'solid-js/web';
import { App } from './app/App.tsx';
import './styles.css';

render(() => <App />, document.getElementById('root')!);
