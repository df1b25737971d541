export default definePageConfig({ navigationBarTitleText: '最近通话', enablePullDownRefresh: true });
