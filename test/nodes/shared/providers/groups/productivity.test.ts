import { testProviderGroup, type ProviderFixture } from '../providerTestKit';

const FIXTURES: ProviderFixture[] = [];

testProviderGroup('productivity', FIXTURES);
